"""The results as they are judged: the JSON and JSON Lines reports written a document at a time, and read back.

``Streamed`` is the sink (``validators.judge.Sink``) of ``wrqa validate --format json|jsonl``: each document,
once judged, is written to a spool file beside the output, as ``reports.json`` writes it (never its source
lines); the few findings of the rules across documents that come later are kept by document and put in
when the run closes, which writes the report from the spool: one JSON object, the very one ``render_json``
writes, or JSON Lines — a document a line, then one line with the run (``tool``, ``run``, ``errors``,
``expectations``, ``summary``…). Memory holds a few counts a rule, never the documents. ``read_jsonl`` reads
the lines back through the same codec (``reports.json``). It must never hold every document at once.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import IO, Any

from reports.json import ResultsError, document_from_dict, document_to_dict, dumps, run_from_dict, run_to_dict
from validators.records import DocumentResult, Finding, RunResult, Severity, SummaryCounts, Waiver


class Streamed:
    """The sink writing ``output_format`` (``json`` or ``jsonl``) to ``output`` (None: standard output) as the
    documents are judged; ``waivers`` (by fingerprint) are applied to each, ``skipped`` goes in the run."""

    def __init__(self, output_format: str, output: str | None, waivers: Mapping[str, Waiver] | None = None,
                 skipped: Sequence[str] = ()) -> None:
        self.output_format, self.output = output_format, output
        self.waivers = waivers or {}
        self.skipped = tuple(skipped)
        self.counts = SummaryCounts()
        self.later: dict[int, list[Finding]] = {}
        self.dropped: set[int] = set()
        # Beside the output, so the report is written where it is meant to be; gone when closed.
        folder = os.path.dirname(os.path.abspath(output)) if output else None
        self.spool: IO[bytes] = tempfile.TemporaryFile(dir=folder, prefix=".wrqa-spool-")

    def _waived(self, findings: Sequence[Finding]) -> tuple[Finding, ...]:
        return tuple(replace(f, waiver=self.waivers.get(f.fingerprint)) for f in findings)

    def add(self, doc: int, result: DocumentResult | None) -> None:
        if result is None:
            return
        result = replace(result, findings=self._waived(result.findings), lines=None)
        self.counts.add(doc, result)
        self.spool.write(f"{doc}\t{dumps(document_to_dict(result))}\n".encode())

    def amend(self, doc: int, findings: Sequence[Finding]) -> None:
        self.later.setdefault(doc, []).extend(self._waived(findings))

    def drop(self, doc: int) -> None:
        self.dropped.add(doc)

    def close(self, run: RunResult) -> RunResult:
        """Write the report of ``run`` (its documents from the spool) and return the run without documents."""
        from validators.judge import amended

        run = replace(run, skipped=self.skipped)
        # A first pass puts the later findings in and counts them; the second writes, a line at a time.
        rewritten: dict[int, str | None] = {}
        for doc, line in self._spooled():
            if doc in self.dropped or doc in self.later:
                old = document_from_dict(json.loads(line), f"document #{doc + 1}")
                self.counts.add(doc, old, -1)
                rewritten[doc] = None
                if doc not in self.dropped:
                    new = amended(old, self.later[doc])
                    self.counts.add(doc, new)
                    rewritten[doc] = dumps(document_to_dict(new))
        head = run_to_dict(run, summary=self.counts.summary(len(run.errors)))
        handle = open(self.output, "w", encoding="utf-8", newline="") if self.output else sys.stdout
        try:
            first = True
            for key, value in head.items():
                if key == "documents":
                    handle.write("" if self.output_format == "jsonl" else ("," if not first else "") + '"documents":[')
                    written = 0
                    for doc, line in self._spooled():
                        line = rewritten.get(doc, line)
                        if line is None:
                            continue
                        if self.output_format == "jsonl":
                            handle.write(line + "\n")
                        else:
                            handle.write(("," if written else "") + line)
                        written += 1
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
            self.spool.close()
            if self.output:
                handle.close()
            else:
                handle.flush()
        return run

    def _spooled(self):
        self.spool.seek(0)
        for raw in self.spool:
            number, _, line = raw.decode().rstrip("\n").partition("\t")
            yield int(number), line

    @property
    def worst(self) -> Severity | None:
        """The most severe unwaived finding written, or None."""
        return self.counts.worst


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
