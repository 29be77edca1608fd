"""The writers for continuous-integration pipelines: GitHub workflow annotations and JUnit XML.

GitHub: one ``::error file=…,line=…::message`` command a finding (``warning`` and ``notice`` for the
lesser severities), values escaped as the runner expects. JUnit: one ``<testcase>`` a document, failing
with each finding at or above ``--fail-on``; an input that could not be read is a test case in error.
Waived findings are left out of both: a pipeline must not fail on what a person accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

from validators.records import RunResult, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(run: RunResult) -> Iterator[str]:
    """The lines of GitHub workflow commands for ``run``: a finding a line, then the unreadable inputs."""
    for finding in run.findings:
        if finding.waived:
            continue
        where = [f"file={_property(finding.path)}", f"line={finding.line}", f"col={finding.column}"]
        if finding.end_line >= finding.line:
            where += [f"endLine={finding.end_line}", f"endColumn={finding.end_column}"]
        where.append(f"title={_property(finding.rule)}")
        yield f"::{COMMANDS[finding.severity]} {','.join(where)}::{_data(finding.message)} ({finding.excerpt})"
    for error in run.errors:
        yield f"::error file={_property(error.path)}::{_data(error.message)}"


def render_junit(run: RunResult, fail_on: Severity | None) -> str:
    """JUnit XML for ``run``: a test case a document, failing with each unwaived finding at or above ``fail_on``."""
    suite = ElementTree.Element("testsuite", name="wrqa")
    failures = errors = 0
    for result in run.documents:
        case = ElementTree.SubElement(suite, "testcase", classname=result.path,
                                      name=f"{result.title} ({result.path}:{result.line})")
        below = []
        for finding in result.findings:
            if finding.waived:
                continue
            where = f"{finding.path}:{finding.line}:{finding.column}"
            text = f"{where}: {finding.rule} {finding.message} ({finding.excerpt})"
            if fail_on is not None and finding.severity >= fail_on:
                failure = ElementTree.SubElement(case, "failure", type=finding.rule, message=finding.message)
                failure.text = text
            else:
                below.append(f"{finding.severity.value} {text}")
        failures += bool(case.find("failure") is not None)
        if below:
            ElementTree.SubElement(case, "system-out").text = "\n".join(below)
    for error in run.errors:
        case = ElementTree.SubElement(suite, "testcase", classname=error.path, name=error.path)
        ElementTree.SubElement(case, "error", message=error.message).text = error.message
        errors += 1
    suite.set("tests", str(len(run.documents) + len(run.errors)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)
